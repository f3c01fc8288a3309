where --lat 10
