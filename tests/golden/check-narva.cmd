check --attacker RUS --victim EST --object territory --at Narva --date 2024-05-20
