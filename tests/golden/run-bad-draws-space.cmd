run --draws ' 10'
