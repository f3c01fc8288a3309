solve ../games/pennies.efg --dot
