solve ../games/crisis_chance.efg --method logit --end
