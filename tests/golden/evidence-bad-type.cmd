evidence icb-actors --where 'actor == 365' --outcome 'viol >= 3'
