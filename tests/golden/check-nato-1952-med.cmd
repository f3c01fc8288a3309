check --attacker SUN --victim ITA --object vessel --lat 35 --lon 18 --date 1953-06-01 --treaty north-atlantic
