check --attacker SUN --victim DEU --object territory --at Frankfurt --date 1960-06-01 --treaty brussels
