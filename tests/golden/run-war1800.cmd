run war1800-dispute --draws 400 --seed 3
