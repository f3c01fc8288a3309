evidence icb-actors --where 'cracid in [2, 200, 220] and trigent == 365 and yrtrig >= 1949' --outcome 'majres in [8, 9]'
