fit ultimatum --data ../../data/fit/offers.csv --formula 'offer + accept ~ stake | outside' --max-offer 10
