check --victim USA --object territory --lat 95 --lon 0 --date 2024-05-20
