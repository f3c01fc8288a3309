check --attacker UKR --victim RUS --object territory --at Sevastopol --date 2024-05-20 --treaty csto
