solve ../games/pennies.efg --method logit --lambda 1e20
