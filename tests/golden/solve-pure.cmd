solve ../games/crisis_chance.efg
