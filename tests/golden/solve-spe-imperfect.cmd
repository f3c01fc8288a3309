solve ../games/pennies.efg --method spe
