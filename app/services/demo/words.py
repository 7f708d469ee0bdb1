"""Word lists the demo portfolio composes its companies, people and notes from."""

from __future__ import annotations

# fmt: off

#: Halves of invented company names ("North" + "wind" -> "Northwind").
NAME_HEADS = (
    "North", "South", "East", "West", "Blue", "Red", "Green", "Silver", "Golden", "Iron",
    "Stone", "River", "Lake", "Harbor", "Summit", "Pine", "Oak", "Cedar", "Maple", "Willow",
    "Bright", "Clear", "Swift", "True", "Prime", "Nova", "Terra", "Aero", "Astra", "Helio",
    "Vertex", "Apex", "Zenith", "Crest", "Ridge", "Falcon", "Eagle", "Hawk", "Lynx", "Fox",
    "Wolf", "Bear", "Orca", "Atlas", "Titan", "Orion", "Polar", "Solar", "Lunar", "Storm",
    "Rapid", "Quantum", "Vector", "Matrix", "Pixel", "Signal", "Beacon", "Anchor", "Compass",
    "Keystone", "Granite", "Copper", "Cobalt", "Amber", "Ivory", "Onyx", "Crystal", "Coral",
    "Sierra", "Delta", "Alpine", "Meadow", "Highland", "Bay", "Cape", "Valley", "Forest",
    "Frontier", "Liberty", "Union", "Pioneer", "Heritage", "Civic", "Metro", "Urban", "Grand",
)
NAME_TAILS = (
    "wind", "field", "bridge", "gate", "point", "view", "crest", "stone", "ford", "brook",
    "wood", "line", "works", "path", "way", "light", "spring", "mark", "core", "wave",
    "hill", "haven", "port", "shore", "peak", "dale", "mont", "vale", "star", "tech",
    "logic", "soft", "net", "sys", "dyn", "gen", "metrics", "scale", "base", "stack",
    "flow", "grid", "link", "sphere", "forge", "mill", "well", "side", "land", "bury",
)

#: Industry -> nouns that sound like a company in it.
INDUSTRIES: dict[str, tuple[str, ...]] = {
    "Manufacturing": ("Industries", "Manufacturing", "Components", "Machining", "Plastics"),
    "Logistics": ("Logistics", "Freight", "Shipping", "Transport", "Distribution"),
    "Financial Services": ("Capital", "Bank", "Financial", "Insurance", "Partners"),
    "Healthcare": ("Health", "Medical", "Care", "Clinics", "Life Sciences"),
    "Retail": ("Retail", "Stores", "Brands", "Outfitters", "Market"),
    "Software": ("Software", "Labs", "Digital", "Systems", "Cloud"),
    "Telecommunications": ("Telecom", "Networks", "Communications", "Connect", "Mobile"),
    "Energy": ("Energy", "Power", "Utilities", "Renewables", "Grid"),
    "Professional Services": ("Consulting", "Advisory", "Group", "Associates", "Solutions"),
    "Education": ("Learning", "Education", "Academy", "Institute", "Campus"),
    "Media": ("Media", "Studios", "Publishing", "Broadcasting", "Entertainment"),
    "Hospitality": ("Hotels", "Hospitality", "Resorts", "Travel", "Dining"),
    "Construction": ("Construction", "Builders", "Engineering", "Infrastructure", "Homes"),
    "Public Sector": ("Authority", "Services", "Agency", "Council", "Trust"),
}

#: Region -> legal-form suffixes a company there may carry ("" for none).
LEGAL_SUFFIXES: dict[str, tuple[str, ...]] = {
    "North America": ("", "", "", "Inc.", "LLC", "Corp.", "Group"),
    "EMEA": ("", "", "", "Ltd", "plc", "GmbH", "S.A.", "B.V.", "Group"),
    "APAC": ("", "", "", "Pty Ltd", "Ltd", "K.K.", "Group"),
    "LATAM": ("", "", "", "S.A.", "Ltda.", "Group"),
}

#: Region -> countries a subsidiary may be named after.
REGIONS: dict[str, tuple[str, ...]] = {
    "North America": ("USA", "Canada", "Mexico"),
    "EMEA": ("UK", "Germany", "France", "Netherlands", "Spain", "Italy", "Nordics", "UAE"),
    "APAC": ("Australia", "Japan", "Singapore", "India", "Korea"),
    "LATAM": ("Brazil", "Chile", "Colombia", "Argentina"),
}
REGION_WEIGHTS = {"North America": 50, "EMEA": 30, "APAC": 12, "LATAM": 8}
BUSINESS_UNITS = (
    "Operations", "Services", "Digital", "Wholesale", "Consumer", "Enterprise", "Labs",
    "Field Services", "Shared Services", "Research", "Manufacturing", "Finance",
)

#: Our customer success managers (the account owners).
CSM_OWNERS = (
    "Maya Okafor", "Lucas Brennan", "Priya Raman", "Jonas Becker", "Sofia Marquez",
    "Ethan Caldwell", "Aiko Tanaka",
)
#: Our executives paired with the customers' executive sponsors.
OUR_EXECUTIVES = (
    "Dana Whitfield (VP Customer Success)", "Marcus Lee (Chief Revenue Officer)",
    "Helen Fischer (CEO)", "Omar Haddad (VP Sales)", "Grace Kim (CTO)",
)

FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
    "Sarah", "Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty",
    "Mark", "Sandra", "Paul", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Kevin",
    "Donna", "Brian", "Michelle", "George", "Carol", "Oliver", "Amelia", "Noah", "Olivia",
    "Liam", "Emma", "Lukas", "Hannah", "Felix", "Lena", "Pierre", "Camille", "Louis", "Chloé",
    "Mateo", "Lucía", "Alejandro", "Valentina", "Giulia", "Marco", "Sven", "Ingrid", "Lars",
    "Freya", "Hiroshi", "Yuki", "Kenji", "Sakura", "Wei", "Mei", "Jun", "Li", "Arjun",
    "Ananya", "Rohan", "Diya", "Vikram", "Aisha", "Omar", "Fatima", "Yusuf", "Layla", "Kwame",
    "Amara", "Chidi", "Zainab", "Ji-ho", "Min-jun", "Seo-yeon", "Rafael", "Beatriz", "Tiago",
    "Mariana", "Niamh", "Sean", "Aoife", "Pavel", "Katarzyna", "Tomasz", "Agnieszka",
)
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker",
    "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Müller", "Schmidt",
    "Schneider", "Fischer", "Weber", "Wagner", "Dubois", "Lefèvre", "Moreau", "Laurent",
    "Rossi", "Russo", "Ferrari", "Esposito", "Fernández", "Ruiz", "Navarro", "Jansen",
    "de Vries", "van Dijk", "Andersson", "Johansson", "Nilsson", "Larsen", "Sato", "Suzuki",
    "Takahashi", "Watanabe", "Wang", "Zhang", "Chen", "Liu", "Patel", "Sharma", "Gupta",
    "Iyer", "Reddy", "Khan", "Hassan", "Ali", "Mensah", "Okonkwo", "Adeyemi", "Kim", "Park",
    "Choi", "Silva", "Santos", "Oliveira", "Costa", "O'Brien", "Murphy", "Kowalski", "Nowak",
)

#: Department -> titles by level: (executive, head, manager, staff).
Titles = tuple[str, ...]
DEPARTMENTS: dict[str, tuple[Titles, Titles, Titles, Titles]] = {
    "Executive": (
        ("Chief Executive Officer", "Chief Operating Officer", "Managing Director"),
        ("Chief of Staff",),
        ("Executive Assistant",),
        ("Strategy Analyst",),
    ),
    "IT": (
        ("Chief Information Officer", "Chief Technology Officer"),
        ("VP Information Technology", "Director of IT", "Head of Infrastructure"),
        ("IT Manager", "Enterprise Architect", "Applications Manager"),
        ("Systems Administrator", "IT Analyst", "Integration Engineer", "Security Engineer"),
    ),
    "Finance": (
        ("Chief Financial Officer",),
        ("VP Finance", "Director of Procurement", "Financial Controller"),
        ("Procurement Manager", "Finance Manager", "Vendor Manager"),
        ("Financial Analyst", "Procurement Specialist", "Accounts Payable Lead"),
    ),
    "Operations": (
        ("Chief Operating Officer",),
        ("VP Operations", "Director of Operations", "Head of Supply Chain"),
        ("Operations Manager", "Process Excellence Manager", "Site Manager"),
        ("Operations Analyst", "Planner", "Team Lead"),
    ),
    "Sales": (
        ("Chief Revenue Officer",),
        ("VP Sales", "Director of Sales Operations"),
        ("Sales Operations Manager", "Regional Sales Manager"),
        ("Sales Analyst", "Account Executive", "CRM Administrator"),
    ),
    "Marketing": (
        ("Chief Marketing Officer",),
        ("VP Marketing", "Director of Digital Marketing"),
        ("Marketing Operations Manager", "Campaign Manager"),
        ("Marketing Analyst", "Content Specialist"),
    ),
    "Customer Service": (
        ("Chief Customer Officer",),
        ("VP Customer Service", "Director of Support"),
        ("Support Manager", "Service Delivery Manager"),
        ("Support Team Lead", "Service Analyst", "Knowledge Manager"),
    ),
    "HR": (
        ("Chief People Officer",),
        ("VP People", "Director of HR"),
        ("HR Systems Manager", "Learning Manager"),
        ("HR Analyst", "Training Coordinator"),
    ),
}

PRODUCTS = (
    "Platform Core", "Analytics Suite", "Workflow Automation", "Data Connectors",
    "Premium Support", "Mobile Field App", "Reporting Pack", "Security Add-on",
    "Usage Credits", "Professional Services",
)

TOPICS = (
    "adoption of the reporting pack", "the data migration", "SSO roll-out",
    "renewal timeline", "licence true-up", "open P1 tickets", "the integration backlog",
    "executive sponsorship", "training for new hires", "the new regional rollout",
    "usage dashboards", "budget planning for next year", "the API rate limits",
    "the success plan milestones", "invoice disputes", "the product roadmap",
)
NEXT_STEPS = (
    "Send the recap and updated timeline", "Book the executive business review",
    "Share the adoption report", "Confirm the training dates", "Escalate the P1 to engineering",
    "Prepare the renewal quote", "Introduce the solutions architect",
    "Follow up on the overdue invoice", "Draft the success plan update",
    "Schedule a roadmap session", "Collect licence usage per team", "Check in with the champion",
)

GOALS = (
    ("Cut order processing time by 30%",
     ("Map current process", "Pilot automation", "Roll out to all sites")),
    ("Single view of customer data", ("Connect CRM", "Clean duplicates", "Launch dashboards")),
    ("Onboard every regional team", ("Kick-off", "Train admins", "Go-live EMEA", "Go-live APAC")),
    ("Reduce support backlog", ("Triage workshop", "Self-service portal", "Knowledge base live")),
    ("Prove ROI to the board", ("Define KPIs", "Baseline measurement", "ROI review")),
    ("Retire the legacy system", ("Data export", "Parallel run", "Decommission")),
    ("Raise weekly active usage to 80%",
     ("Usage review", "Champions network", "Adoption campaign")),
)

RISK_TITLES: dict[str, tuple[str, ...]] = {
    "implementation": ("Go-live slipped twice", "Integration blocked by customer IT"),
    "sentiment": ("Champion frustrated with response times", "Detractor on steering committee"),
    "support": ("Rising P1 tickets", "Ticket backlog growing"),
    "product": ("Missing SSO feature", "Performance complaints on large reports"),
    "company": ("Customer announced restructuring", "Acquired by a competitor's customer"),
    "renewal": ("Budget cut for next year", "Competitor in the renewal cycle"),
}
#: The departed champion's risk (``work.write_risks`` adds it when the champion has left).
CHAMPION_LEFT = "Champion left the company"
#: What we do about each risk, in words that fit it: the customer reads the mitigation of a
#: shared risk (implementation, support, product) as "What we are doing".
MITIGATIONS: dict[str, tuple[str, ...]] = {
    "Go-live slipped twice": (
        "Weekly call with the project lead until go-live",
        "Joint recovery plan with a new go-live date",
    ),
    "Integration blocked by customer IT": (
        "Joint integration workshop with IT",
        "Solutions architect assigned to the integration",
    ),
    "Champion frustrated with response times": (
        "Named support contact for the champion", "Executive alignment call booked",
    ),
    "Detractor on steering committee": (
        "One-to-one meeting with the detractor", "Executive alignment call booked",
    ),
    CHAMPION_LEFT: (
        "Find the champion's successor and re-introduce our team",
        "Multi-thread to the new leadership",
    ),
    "Rising P1 tickets": (
        "Dedicated support engineer assigned", "Root-cause review of every P1 with engineering",
    ),
    "Ticket backlog growing": (
        "Backlog triage workshop with support", "Dedicated support engineer assigned",
    ),
    "Missing SSO feature": (
        "Roadmap briefing with product management", "Interim SSO set-up until the feature ships",
    ),
    "Performance complaints on large reports": (
        "Performance review of the largest reports with engineering",
        "Roadmap briefing with product management",
    ),
    "Customer announced restructuring": (
        "Multi-thread to the new leadership", "Map the new organisation with the champion",
    ),
    "Acquired by a competitor's customer": (
        "Executive alignment call booked", "Multi-thread to the new leadership",
    ),
    "Budget cut for next year": (
        "Value review ahead of the renewal", "Right-size the licences before the renewal",
    ),
    "Competitor in the renewal cycle": (
        "Value review ahead of the renewal", "Executive alignment call booked",
    ),
}
OPPORTUNITIES: dict[str, tuple[str, ...]] = {
    "upsell": ("Additional licences for the new region", "Upgrade to Premium Support"),
    "cross_sell": ("Analytics Suite for finance", "Mobile Field App for technicians"),
    "macd": ("Move licences between entities", "Repricing at renewal", "Add sandbox environment"),
}
SURVEY_COMMENTS = (
    "Great support team.", "Reporting is too slow.", "Onboarding went smoothly.",
    "We need better SSO.", "Value is clear to our leadership.", "Too many outages lately.",
    "Training helped a lot.", None, None, None,
)
# fmt: on
