def demo_orders(command, users, vendors):
    pass
