/ip firewall address-list
add list=putio address=151.80.40.0/24 comment="Put.io - Entire subnet because I'm lazy"
add list=putio address=sketchy-streaming-site.com comment="Follows DNS changes"

/routing table
add name=putio-route fib comment="Where streaming dreams come true"

/ip firewall mangle
# Step 1: Mark the connection (like tagging cattle, but for data)
add chain=prerouting dst-address-list=putio action=mark-connection \
    new-connection-mark=putio-conn passthrough=yes comment="Tag, you're it!"

# Step 2: Mark the routing (the actual magic)
add chain=prerouting connection-mark=putio-conn action=mark-routing \
    new-routing-mark=putio-route passthrough=no comment="Now go that way!"

/ip firewall filter
add chain=forward action=drop src-address-list=blacklist comment="Global blacklist"
add chain=forward action=drop dst-address-list=malware-c2 comment="Block bad actors"

/ip firewall raw
add chain=prerouting dst-address-list=putio action=notrack \
    comment="Bypass connection tracking because SPEED"

# Template for new streaming services
:local serviceName "netflix"
:local serviceNet "198.45.0.0/16"

/ip firewall address-list
add list=$serviceName address=$serviceNet comment="$serviceName - Auto-generated"

/ip firewall mangle
add chain=prerouting dst-address-list=$serviceName action=mark-connection \
    new-connection-mark="$serviceName-conn" passthrough=yes

:foreach route in=[/ip route find routing-table=putio-route] do={
    :local gateway [/ip route get $route gateway]
    :put "Testing route via $gateway"
}
