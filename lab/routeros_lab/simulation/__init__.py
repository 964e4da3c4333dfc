"""What the lab simulates besides storing configuration: gateway reachability and the routes it
activates, netwatch, DHCP leases and PPPoE sessions. Functions of a router (``menus.base.LabRouter``)."""
