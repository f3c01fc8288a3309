check --attacker RUS --victim ITA --object vessel --lat 35 --lon 18 --date 2024-05-20 --treaty north-atlantic --json
