fit egame12 --data no-such-file.csv --formula 'esc + fight ~ democ | 0 | cap + ally | cap + ally'
