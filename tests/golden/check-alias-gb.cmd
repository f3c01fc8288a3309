check --attacker RU --victim GB --object territory --at London --date 2024-05-20 --treaty north-atlantic
