run --draws 2000 --seed 1
