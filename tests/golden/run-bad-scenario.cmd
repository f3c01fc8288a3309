run nonsense --draws 10
