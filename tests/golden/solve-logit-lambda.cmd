solve ../games/pennies.nfg --method logit --lambda 1.5 --json
