solve ../games/crisis_chance.efg --method logit --max-memory 4K
