fit egame12 --data ../../data/fit/crises.csv --formula 'esc + fight ~ democ | 0 | cap + ally | cap + ally' --subset 'cap > "high"'
