check --attacker CHN --victim JPN --object territory --at Uotsuri-jima --date 2024-05-20 --treaty us-japan --json
