check --attacker RUS --victim GBR --object territory --at Akrotiri --date 2024-05-20 --treaty north-atlantic
