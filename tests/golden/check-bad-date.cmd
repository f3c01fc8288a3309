check --victim USA --object territory --at Kyiv --date 2024-02-30
