check --victim BEL --object territory --at Brussels --date 1950-06-01 --treaty brussels
