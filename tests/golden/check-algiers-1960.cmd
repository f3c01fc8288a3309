check --attacker unknown --victim FRA --object territory --at Algiers --date 1960-01-01 --treaty north-atlantic
