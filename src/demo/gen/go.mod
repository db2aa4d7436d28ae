module emberdemo

go 1.19
