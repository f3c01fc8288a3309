solve ../games/entry.efg --method logit --trace --decimals 4
