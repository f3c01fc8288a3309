check --attacker SUN --victim USA --object aircraft --lat 50 --lon -30 --date 1950-06-01 --treaty north-atlantic
