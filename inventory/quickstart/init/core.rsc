# The quickstart router before the collection runs: a LAN trunk on ether3 with three VLANs and their
# gateway addresses. The two internet links (ether1, ether2) are cabled but not configured yet.
/system identity set name=QUICKSTART
/interface vlan
add interface=ether3 name=VLAN10 vlan-id=10 comment="office"
add interface=ether3 name=VLAN20 vlan-id=20 comment="guest wifi"
add interface=ether3 name=VLAN30 vlan-id=30 comment="servers"
/ip address
add address=10.20.10.1/24 interface=VLAN10 comment="office gateway"
add address=10.20.20.1/24 interface=VLAN20 comment="guest gateway"
add address=10.20.30.1/24 interface=VLAN30 comment="servers gateway"
/ip firewall filter
add action=accept chain=input protocol=icmp comment="allow ping"
