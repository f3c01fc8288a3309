check --victim GBR --object territory --at Hamilton --date 2024-05-20
