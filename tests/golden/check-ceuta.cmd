check --attacker MAR --victim ESP --object territory --at Ceuta --date 2024-05-20 --treaty north-atlantic
