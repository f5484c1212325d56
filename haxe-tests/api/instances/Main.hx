// Instances: construction, fields, methods, inheritance, interfaces, structures.
interface Shape {
	function area():Float;
}

class Entity {
	public var name:String;
	public var hp:Int;
	public var tags:Array<String>;
	public var onHit:Int->Void;

	public function new(name:String, hp:Int) {
		this.name = name;
		this.hp = hp;
		this.tags = [];
		this.onHit = null;
	}

	public function damage(n:Int):Int {
		if (n < 0)
			throw "negative damage " + n;
		hp -= n;
		if (onHit != null)
			onHit(n);
		return hp;
	}

	public function describe():String
		return name + "(" + hp + ")";

	public function rename(n:String):Void
		name = n;
}

class Player extends Entity implements Shape {
	public var score:Float = 0;

	public function new(name:String) {
		super(name, 100);
	}

	override public function describe():String
		return "Player " + super.describe();

	public function addScore(s:Float):Float {
		score += s;
		return score;
	}

	public function area():Float
		return 2.5;
}

class Empty {}

class Main {
	public static var hero:Player;

	static function main() {
		hero = new Player("hero");
	}

	public static function describeEntity(e:Entity):String
		return e.describe();

	public static function areaOf(s:Shape):Float
		return s.area();

	public static function makeStruct():{x:Int, label:String}
		return {x: 7, label: "seven"};

	public static function structSum(s:{x:Int, y:Int}):Int
		return s.x + s.y;

	public static function makeDynamic():Dynamic {
		var d:Dynamic = {};
		d.speed = 3;
		d.kind = "fast";
		return d;
	}
}
