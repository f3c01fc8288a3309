sensitivity game-small.casus --output war --policy public --base-samples 256 --replicates 4 --seed 3
