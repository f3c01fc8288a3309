check --victim USA --object territory --at Kyiv --date 2024-05-20 --load bad-treaty.casus
