solve ../games/pennies.efg --agent
