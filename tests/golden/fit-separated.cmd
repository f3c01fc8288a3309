fit egame12 --data fit-separated.csv --formula 'esc + fight ~ democ | 0 | cap | ally'
