fit egame12 --data fit-bad-cell.csv --formula 'esc + fight ~ democ | 0 | cap + ally | cap + ally'
