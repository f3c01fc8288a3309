evidence icb-crises --where 'yrtrig >= 1945 and gravty >= 4' --outcome 'viol >= 3'
