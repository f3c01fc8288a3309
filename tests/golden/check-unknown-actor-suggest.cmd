check --victim Rusia --object territory --at Kyiv --date 2024-05-20
