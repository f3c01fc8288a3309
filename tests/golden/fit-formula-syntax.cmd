fit egame12 --data ../../data/fit/crises.csv --formula 'esc + fight ~ democ | 0 | log(cap) + ally | cap + ally'
