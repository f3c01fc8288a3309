check --attacker SUN --victim ITA --object vessel --lat 35 --lon 18 --date 1950-06-01 --treaty north-atlantic
