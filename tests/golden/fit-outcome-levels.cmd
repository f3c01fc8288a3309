fit egame12 --data ../../data/fit/crises.csv --formula 'outcome ~ democ | 0 | cap + ally | cap + ally' --levels 'outcome=status quo,backdown,war' --type private --subset 'case <= 800'
