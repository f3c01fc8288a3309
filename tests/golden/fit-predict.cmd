fit ultimatum --data ../../data/fit/offers.csv --formula 'offer + accept ~ stake | outside' --max-offer 10 --s2 0.8 --subset 'round <= 120' --predict
