check --victim US --object territory --at Honolulu --date 2024-05-20 --treaty rio
