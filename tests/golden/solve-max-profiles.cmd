solve ../games/crisis_chance.efg --max-profiles 3
