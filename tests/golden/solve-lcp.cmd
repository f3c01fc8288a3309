solve ../games/pennies.efg --method lcp
