check --attacker RUS --victim USA --object aircraft --lat 43 --lon 34 --date 2024-05-20 --treaty north-atlantic
