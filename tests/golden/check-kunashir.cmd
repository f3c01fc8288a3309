check --victim JPN --object territory --at Yuzhno-Kurilsk --date 2024-05-20 --treaty us-japan
