check --attacker TUR --victim CYP --object territory --at Kyrenia --date 2024-05-20 --treaty teu
